import { EntityFlotillaContent, FlotillaFleetPage, flotillaPlugin } from './plugin';

describe('flotilla plugin', () => {
  it('provides the fleet page and the entity tab', () => {
    expect(flotillaPlugin.getId()).toBe('flotilla');
    expect(FlotillaFleetPage).toBeDefined();
    expect(EntityFlotillaContent).toBeDefined();
  });
});
