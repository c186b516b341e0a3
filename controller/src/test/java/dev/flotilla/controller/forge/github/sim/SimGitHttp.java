package dev.flotilla.controller.forge.github.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Git's smart HTTP protocol for the simulated repositories, on JGit's {@link UploadPack} and
 * {@link ReceivePack} (what JGit's {@code GitServlet} runs; the servlet module is not published for
 * the project's JGit version). Clones and pushes authenticate as on github.com: HTTP Basic with the
 * token as password, challenged with 401 first. A push is refused as GitHub refuses it: without
 * {@code contents: write}, to an archived repository, and when it creates or changes a file under
 * {@code .github/workflows/} without the {@code workflows} permission.
 */
final class SimGitHttp {

  private static final Pattern PATH = Pattern.compile("/([^/]+)/([^/]+?)\\.git/(info/refs|git-upload-pack|git-receive-pack)");
  private static final String WORKFLOWS = ".github/workflows";

  private final GitHubSim sim;

  SimGitHttp(GitHubSim sim) {
    this.sim = sim;
  }

  void handle(HttpExchange exchange, String path) throws IOException {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      text(exchange, 404, "Not Found");
      return;
    }
    Optional<SimRepo> found = sim.find(GitHubSim.decode(m.group(1)), GitHubSim.decode(m.group(2)));
    GitHubSim.Identity who = sim.identifyBasic(exchange.getRequestHeaders().getFirst("Authorization"));
    if (who == null) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"GitHub\"");
      text(exchange, 401, "Authentication required");
      return;
    }
    if (found.isEmpty() || !who.sees(found.get(), sim.installations()) || !who.may("contents", "read")) {
      text(exchange, 404, "Repository not found.");
      return;
    }
    SimRepo repo = found.get();
    String service = switch (m.group(3)) {
      case "info/refs" -> queryService(exchange);
      default -> m.group(3);
    };
    if (!"git-upload-pack".equals(service) && !"git-receive-pack".equals(service)) {
      text(exchange, 403, "smart HTTP only");
      return;
    }
    boolean push = "git-receive-pack".equals(service);
    if (push && !who.may("contents", "write")) {
      text(exchange, 403, "Permission to " + repo.fullName() + ".git denied to flotilla[bot].");
      return;
    }
    if (m.group(3).equals("info/refs")) {
      advertise(exchange, repo, service, who);
    } else {
      serve(exchange, repo, service, who);
    }
  }

  private void advertise(HttpExchange exchange, SimRepo repo, String service, GitHubSim.Identity who) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/x-" + service + "-advertisement");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      PacketLineOut packets = new PacketLineOut(out);
      packets.writeString("# service=" + service + "\n");
      packets.end();
      RefAdvertiser.PacketLineOutRefAdvertiser advertiser = new RefAdvertiser.PacketLineOutRefAdvertiser(packets);
      if ("git-upload-pack".equals(service)) {
        UploadPack upload = new UploadPack(repo.git);
        upload.setBiDirectionalPipe(false);
        upload.sendAdvertisedRefs(advertiser);
      } else {
        ReceivePack receive = receivePack(repo, who);
        receive.sendAdvertisedRefs(advertiser);
      }
    }
  }

  private void serve(HttpExchange exchange, SimRepo repo, String service, GitHubSim.Identity who) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/x-" + service + "-result");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      if ("git-upload-pack".equals(service)) {
        UploadPack upload = new UploadPack(repo.git);
        upload.setBiDirectionalPipe(false);
        upload.upload(in, out, null);
      } else {
        ReceivePack receive = receivePack(repo, who);
        receive.receive(in, out, null);
      }
    }
  }

  private ReceivePack receivePack(SimRepo repo, GitHubSim.Identity who) {
    ReceivePack receive = new ReceivePack(repo.git);
    receive.setBiDirectionalPipe(false);
    receive.setAllowNonFastForwards(true);
    receive.setAllowDeletes(true);
    receive.setPreReceiveHook((rp, commands) -> refuse(repo, who, commands));
    receive.setPostReceiveHook((rp, commands) -> {
      for (ReceiveCommand command : commands) {
        if (command.getResult() == ReceiveCommand.Result.OK && command.getRefName().startsWith("refs/heads/")) {
          ObjectId before = command.getOldId().equals(ObjectId.zeroId()) ? null : command.getOldId();
          sim.pushed(repo, command.getRefName().substring("refs/heads/".length()), before, command.getNewId());
        }
      }
    });
    return receive;
  }

  /** GitHub's pre-receive rules: archived repositories and workflow files without the {@code workflows} permission. */
  private void refuse(SimRepo repo, GitHubSim.Identity who, Collection<ReceiveCommand> commands) {
    for (ReceiveCommand command : commands) {
      if (repo.archived) {
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "This repository was archived so it is read-only.");
        continue;
      }
      if (command.getType() == ReceiveCommand.Type.DELETE || who.may("workflows", "write")) {
        continue;
      }
      try {
        List<ObjectId> known = new ArrayList<>();
        for (Ref ref : repo.git.getRefDatabase().getRefsByPrefix("refs/heads/")) {
          known.add(ref.getObjectId());
        }
        List<String> changed = repo.changedUnder(WORKFLOWS, command.getNewId(), known);
        if (!changed.isEmpty()) {
          command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON,
              "refusing to allow a GitHub App to create or update workflow `" + changed.get(0) + "` without `workflows` permission");
        }
      } catch (IOException e) {
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  private static String queryService(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("service=")) {
        return pair.substring("service=".length());
      }
    }
    return null;
  }

  private static void text(HttpExchange exchange, int status, String message) throws IOException {
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
