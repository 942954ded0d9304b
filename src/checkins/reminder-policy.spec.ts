import { unitedStatesAirports } from './reminder-policy';

describe('unitedStatesAirports', () => {
  it('lists the US airports of the bundled table and nothing else', () => {
    const us = unitedStatesAirports();
    expect(us).toEqual(expect.arrayContaining(['JFK', 'LAX', 'ORD', 'SFO']));
    expect(us).not.toContain('AMS');
    expect(us).not.toContain('YYZ');
  });
});
