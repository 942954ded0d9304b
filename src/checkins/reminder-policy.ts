import { allAirports, isUnitedStatesAirport } from '../rendering/airports';

/**
 * Check-in closes about this long before departure; a reminder after that would only annoy. Check-in
 * opens CHECKIN_REMINDER_HOURS before departure, CHECKIN_REMINDER_HOURS_US for flights to the United States
 * (the reminder query applies both in SQL, see CheckinReminderRepository.findDue).
 */
export const CHECKIN_CLOSES_MINUTES = 60;

/** The US airports of the bundled table, for the database query that finds due reminders. */
export function unitedStatesAirports(): string[] {
  return allAirports()
    .filter((a) => isUnitedStatesAirport(a.iata))
    .map((a) => a.iata);
}
