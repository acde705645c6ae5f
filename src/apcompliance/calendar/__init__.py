"""The school calendar: which days are school days, school-day arithmetic, and clock time in
England. Depends on nothing of the package but `errors`."""
