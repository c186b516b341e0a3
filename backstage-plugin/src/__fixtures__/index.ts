/*
 * Answers of Flotilla's API, each with the request that produced it. Recorded from the real dashboard by the
 * controller's BackstagePluginFixturesIT, which also fails the build when the API and these files drift apart.
 * A fixture with "awaitingRecording" was shaped by hand from the API's contract and is not recorded yet.
 */
import campaigns from './campaigns.json';
import repoAcmeBroken from './repo-acme-broken.json';
import repoAcmeCharlie from './repo-acme-charlie.json';
import repoUnknown from './repo-unknown.json';
import teamCore from './team-core.json';
import teamPayments from './team-payments.json';
import teams from './teams.json';

export interface Fixture {
  request: string;
  status: number;
  awaitingRecording?: string;
  body: unknown;
}

export const fixtures: Fixture[] = [
  campaigns,
  repoAcmeCharlie,
  repoAcmeBroken,
  repoUnknown,
  teams,
  teamPayments,
  teamCore,
];
