import { DateTime, Duration, Interval } from 'luxon';

export async function lambda(input) {
  const dt = DateTime.fromISO('2024-02-28T22:30:00', { zone: 'America/New_York' });
  return {
    iso: dt.toISO(),
    utc: dt.toUTC().toISO(),
    plus: dt.plus({ days: 2 }).toISODate(),
    berlin: dt.setZone('Europe/Berlin').toFormat('yyyy-MM-dd HH:mm ZZZZ'),
    duration: Duration.fromObject({ hours: 1, minutes: 30 }).as('minutes'),
    days: Interval.fromDateTimes(DateTime.fromISO('2024-01-01'), DateTime.fromISO('2024-03-01')).length('days'),
    weekday: DateTime.fromISO('2024-07-04').weekdayLong,
    valid: DateTime.fromISO('not a date').isValid,
  };
}
