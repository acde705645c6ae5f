"""What the library gives people and other systems: text (`render`), iCalendar (`ical`), JSON
Schemas (`schemas`), the handbook, policy coverage, the reference of cases, pseudonymised output
and the report of which facts were used."""
