package dev.flotilla.controller.campaign.k8s;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A campaign as a Kubernetes object: the same {@code apiVersion}, {@code kind} and {@code spec} as a
 * campaign file, plus the {@code status} the controller writes. The CRD {@code campaigns.flotilla.dev}
 * is generated from this class at build time.
 */
@Group(CampaignResource.GROUP)
@Version(CampaignResource.VERSION)
@Kind("Campaign")
@Plural("campaigns")
@Singular("campaign")
@ShortNames("fcamp")
@AdditionalPrinterColumn(name = "Migration", jsonPath = ".spec.migration", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Merged", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Open", jsonPath = ".status.open", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failed", jsonPath = ".status.failed", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class CampaignResource extends CustomResource<CampaignResourceSpec, CampaignResourceStatus> implements Namespaced {

  public static final String GROUP = "flotilla.dev";
  public static final String VERSION = "v1";
  public static final String CRD_NAME = "campaigns." + GROUP;
}
