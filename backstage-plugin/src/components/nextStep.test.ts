import { byUrgency, fromRepository, nextStep } from './nextStep';
import repoAcmeCharlie from '../__fixtures__/repo-acme-charlie.json';
import { Repository } from '../api/types';

describe('nextStep', () => {
  it('puts a failing CI on the team, with the reason', () => {
    expect(nextStep('CI_FAILED', 'CI failed: build')).toEqual({
      waitingOn: 'team',
      action: 'fix the failing CI on the pull request: CI failed: build',
    });
  });

  it('puts a failed run on Flotilla', () => {
    expect(nextStep('FAILED', 'CLONE: repository not found').waitingOn).toBe('flotilla');
  });

  it('asks nothing of anyone once merged', () => {
    expect(nextStep('MERGED', null)).toEqual({ waitingOn: 'nobody', action: 'nothing: merged' });
  });

  it('lists what waits on the team first', () => {
    const repository = repoAcmeCharlie.body as Repository;
    const rows = byUrgency(
      [...repository.changesets].reverse().map(fromRepository),
    ).map(r => `${r.campaign} ${r.state} ${r.waitingOn}`);

    expect(rows).toEqual(['checkout PR_OPEN team', 'jackson CI_FAILED team']);
  });
});
