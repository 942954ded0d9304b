import { DateTime } from 'luxon';
import { airportCityName, allAirports, findAirport, isUnitedStatesAirport } from './airports';

describe('airport table', () => {
  const airports = allAirports();

  it('holds at least 220 airports with unique upper-case IATA codes', () => {
    expect(airports.length).toBeGreaterThanOrEqual(220);
    const codes = airports.map((a) => a.iata);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('gives every airport a time zone luxon knows', () => {
    const invalid = airports.filter((a) => !DateTime.now().setZone(a.timeZone).isValid).map((a) => a.iata);
    expect(invalid).toEqual([]);
  });

  it('gives every airport a country code and an English city', () => {
    for (const airport of airports) {
      expect(airport.country).toMatch(/^[A-Z]{2}$/);
      expect(airport.city.trim()).not.toBe('');
      if (airport.cityNl !== undefined) expect(airport.cityNl).not.toBe(airport.city);
    }
  });

  it('includes the European network hubs and destinations', () => {
    const codes = 'AMS CDG LHR FRA MUC BRU ZRH VIE CPH OSL ARN HEL DUB MAD BCN LIS FCO MXP ATH IST WAW PRG BUD EIN RTM';
    for (const code of codes.split(' ')) expect(findAirport(code)).toBeDefined();
  });

  it('knows the zones of AMS and JFK', () => {
    expect(findAirport('AMS')).toEqual(expect.objectContaining({ timeZone: 'Europe/Amsterdam', country: 'NL' }));
    expect(findAirport('JFK')).toEqual(expect.objectContaining({ timeZone: 'America/New_York', country: 'US' }));
  });

  it('finds codes case-insensitively and returns undefined for unknown ones', () => {
    expect(findAirport('ams')?.iata).toBe('AMS');
    expect(findAirport('XXX')).toBeUndefined();
    expect(findAirport('')).toBeUndefined();
  });
});

describe('airportCityName', () => {
  it('uses the Dutch name for Dutch locales', () => {
    expect(airportCityName('BRU', 'nl-NL')).toBe('Brussel');
    expect(airportCityName('CDG', 'nl')).toBe('Parijs');
    expect(airportCityName('LHR', 'nl-BE')).toBe('Londen');
    expect(airportCityName('MUC', 'nl')).toBe('München');
    expect(airportCityName('GVA', 'nl')).toBe('Genève');
    expect(airportCityName('PEK', 'nl')).toBe('Peking');
  });

  it('falls back to the English city where Dutch has no name of its own', () => {
    expect(airportCityName('JFK', 'nl-NL')).toBe('New York');
    expect(airportCityName('AMS', 'nl')).toBe('Amsterdam');
  });

  it('uses English for other locales and for garbage', () => {
    expect(airportCityName('BRU', 'en')).toBe('Brussels');
    expect(airportCityName('BRU', 'de-DE')).toBe('Brussels');
    expect(airportCityName('BRU', '')).toBe('Brussels');
  });

  it('falls back to the code itself for an unknown airport', () => {
    expect(airportCityName('XXX', 'nl')).toBe('XXX');
  });
});

describe('isUnitedStatesAirport', () => {
  it('is true only for US airports', () => {
    expect(isUnitedStatesAirport('JFK')).toBe(true);
    expect(isUnitedStatesAirport('HNL')).toBe(true);
    expect(isUnitedStatesAirport('YYZ')).toBe(false);
    expect(isUnitedStatesAirport('AMS')).toBe(false);
    expect(isUnitedStatesAirport('XXX')).toBe(false);
  });
});
