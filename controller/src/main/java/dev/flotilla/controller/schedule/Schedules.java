package dev.flotilla.controller.schedule;

import dev.flotilla.FlotillaException;
import dev.flotilla.controller.engine.Controller;
import dev.flotilla.controller.model.Campaign;
import dev.flotilla.controller.store.QuartzConnections;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with its clustered JDBC job store in the same database: the engine tick (polling),
 * discovery, and each scheduled campaign's cron. Clustering means several controller replicas share
 * the schedule and each trigger fires on one of them.
 */
public final class Schedules implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Schedules.class);
  private static final String DATA_SOURCE = "flotilla";
  private static final String ENGINE = "engine";
  private static final String CAMPAIGNS = "campaigns";

  private final Scheduler scheduler;
  private final Controller controller;

  public Schedules(DataSource dataSource, Controller controller, String instanceName) {
    this.controller = controller;
    DBConnectionManager.getInstance().addConnectionProvider(DATA_SOURCE, new QuartzConnections(dataSource));
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", instanceName);
    props.setProperty("org.quartz.scheduler.instanceId", "AUTO");
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    props.setProperty("org.quartz.threadPool.threadCount", "3");
    props.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    props.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    props.setProperty("org.quartz.jobStore.dataSource", DATA_SOURCE);
    props.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
    props.setProperty("org.quartz.jobStore.isClustered", "true");
    props.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
    props.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
    try {
      StdSchedulerFactory factory = new StdSchedulerFactory(props);
      this.scheduler = factory.getScheduler();
      scheduler.setJobFactory((bundle, s) -> newJob(bundle.getJobDetail().getJobClass()));
    } catch (SchedulerException e) {
      throw new FlotillaException("could not set up the Quartz scheduler: " + e.getMessage(), e);
    }
  }

  /** Starts firing: the engine tick every {@code poll}, discovery every {@code discovery}. */
  public void start(Duration poll, Duration discovery) {
    try {
      every(TickJob.class, "tick", poll);
      every(DiscoveryJob.class, "discovery", discovery);
      syncCampaigns();
      scheduler.start();
    } catch (SchedulerException e) {
      throw new FlotillaException("could not start the schedules: " + e.getMessage(), e);
    }
  }

  /** Adds, updates and removes cron triggers so they match the campaigns' schedules. */
  public void syncCampaigns() {
    try {
      Set<TriggerKey> wanted = new HashSet<>();
      for (Campaign campaign : controller.fleet().campaigns().all()) {
        String cron = campaign.spec().schedule();
        if (cron == null || cron.isBlank() || !campaign.isActive()) {
          continue;
        }
        TriggerKey key = TriggerKey.triggerKey(campaign.name(), CAMPAIGNS);
        wanted.add(key);
        Trigger existing = scheduler.getTrigger(key);
        if (existing instanceof org.quartz.CronTrigger ct && ct.getCronExpression().equals(cron)) {
          continue;
        }
        JobDetail job = JobBuilder.newJob(CampaignJob.class)
            .withIdentity(JobKey.jobKey(campaign.name(), CAMPAIGNS))
            .usingJobData("campaign", campaign.name())
            .storeDurably()
            .build();
        Trigger trigger = TriggerBuilder.newTrigger()
            .withIdentity(key)
            .forJob(job)
            .withSchedule(CronScheduleBuilder.cronSchedule(cron).withMisfireHandlingInstructionFireAndProceed())
            .build();
        scheduler.addJob(job, true);
        if (existing == null) {
          scheduler.scheduleJob(trigger);
        } else {
          scheduler.rescheduleJob(key, trigger);
        }
        LOG.info("campaign {} runs on the schedule '{}'", campaign.name(), cron);
      }
      for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(CAMPAIGNS))) {
        if (!wanted.contains(key)) {
          scheduler.unscheduleJob(key);
        }
      }
    } catch (SchedulerException e) {
      throw new FlotillaException("could not update campaign schedules: " + e.getMessage(), e);
    }
  }

  private void every(Class<? extends Job> type, String name, Duration interval) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(type).withIdentity(name, ENGINE).storeDurably().build();
    Trigger trigger = TriggerBuilder.newTrigger()
        .withIdentity(name, ENGINE)
        .forJob(job)
        .startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
            .withIntervalInMilliseconds(interval.toMillis())
            .repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    scheduler.addJob(job, true);
    TriggerKey key = trigger.getKey();
    if (scheduler.checkExists(key)) {
      scheduler.rescheduleJob(key, trigger);
    } else {
      scheduler.scheduleJob(trigger);
    }
  }

  private Job newJob(Class<? extends Job> type) {
    if (type == TickJob.class) {
      return new TickJob(controller);
    }
    if (type == DiscoveryJob.class) {
      return new DiscoveryJob(controller, this);
    }
    if (type == CampaignJob.class) {
      return new CampaignJob(controller);
    }
    throw new IllegalStateException("no job of type " + type.getName());
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      throw new FlotillaException("could not stop the schedules: " + e.getMessage(), e);
    }
  }

  /** One round of the engine. */
  @DisallowConcurrentExecution
  static final class TickJob implements Job {
    private final Controller controller;

    TickJob(Controller controller) {
      this.controller = controller;
    }

    @Override
    public void execute(JobExecutionContext context) {
      controller.tick();
    }
  }

  /** A fleet scan, then the campaign schedules are brought in line. */
  @DisallowConcurrentExecution
  static final class DiscoveryJob implements Job {
    private final Controller controller;
    private final Schedules schedules;

    DiscoveryJob(Controller controller, Schedules schedules) {
      this.controller = controller;
      this.schedules = schedules;
    }

    @Override
    public void execute(JobExecutionContext context) {
      controller.discover();
      schedules.syncCampaigns();
    }
  }

  /** A scheduled campaign's cron fired. */
  @DisallowConcurrentExecution
  static final class CampaignJob implements Job {
    private final Controller controller;

    CampaignJob(Controller controller) {
      this.controller = controller;
    }

    @Override
    public void execute(JobExecutionContext context) {
      controller.reconverge(context.getMergedJobDataMap().getString("campaign"));
    }
  }
}
