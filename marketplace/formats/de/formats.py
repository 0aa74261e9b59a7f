"""German formats: "5. Dez. 2026", "5. Dez. 2026, 14:30", €1.234,50.

"N" is the month abbreviated the German way (Jan., März, Mai, Dez.).
"""

DATE_FORMAT = "j. N Y"
DATETIME_FORMAT = "j. N Y, H:i"
SHORT_DATETIME_FORMAT = "j. N, H:i"
MONTH_DAY_FORMAT = "j. N"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
