import { byUrgency, fromRepository, nextStep } from './nextStep';
import repoAcmeCharlie from '../__fixtures__/repo-acme-charlie.json';
import repoAcmeBroken from '../__fixtures__/repo-acme-broken.json';
import teamCore from '../__fixtures__/team-core.json';
import { Repository, Team } from '../api/types';

describe('nextStep', () => {
  it('puts a failing CI on the team', () => {
    expect(nextStep('CI_FAILED')).toEqual({
      waitingOn: 'team',
      action:
        'Open the failing checks on the pull request and fix them; Flotilla merges once they pass.',
    });
  });

  it('puts a failed run and a conflict on Flotilla, and asks nothing of anyone once merged', () => {
    expect(nextStep('FAILED').waitingOn).toBe('flotilla');
    expect(nextStep('CONFLICT').waitingOn).toBe('flotilla');
    expect(nextStep('MERGED')).toEqual({ waitingOn: 'nobody', action: 'Done: merged.' });
  });

  it("agrees with the team API's recorded answer on who each state waits on and what to do", () => {
    const team = teamCore.body as Team;
    // the team API words these two by the repository's automerge, which the repository endpoint lacks
    const byAutomerge = ['PR_OPEN', 'MERGEABLE'];
    const theirs = team.changesets.map(c => [
      c.state,
      c.waitingOn,
      byAutomerge.includes(c.state) ? '' : c.action,
    ]);
    const ours = team.changesets.map(c => {
      const step = nextStep(c.state);
      return [c.state, step.waitingOn, byAutomerge.includes(c.state) ? '' : step.action];
    });
    expect(ours).toEqual(theirs);
  });

  it("gives the opt-in file's error as the reason, without repeating what the action says", () => {
    const broken = (repoAcmeBroken.body as Repository).changesets[0];
    expect(fromRepository(broken).reason).toBe("line 3: unknown key 'automerg'");
  });

  it('lists what waits on the team first', () => {
    const repository = repoAcmeCharlie.body as Repository;
    const rows = byUrgency(
      [...repository.changesets].reverse().map(fromRepository),
    ).map(r => `${r.campaign} ${r.state} ${r.waitingOn}`);

    expect(rows).toEqual(['checkout PR_OPEN team', 'jackson CI_FAILED team']);
  });
});
