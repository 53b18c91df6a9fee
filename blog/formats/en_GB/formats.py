"""How the site writes and reads dates in British English (LANGUAGE_CODE en-gb).

Django's own en_GB formats are the fallback for anything not set here.
"""

# Written out, for readers and the admin: "4 May 2023", "4 May 2023, 14:30".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# What an editor may type in an admin date box: day first, or the month in
# words. The first is also how the admin, its calendar and its "Today" link
# write a date into the box. Month names are read in English whatever the
# server's locale, as Python's strptime does in a process that never calls
# setlocale (Django does not).
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 04/05/2023
    "%d/%m/%y",  # 04/05/23
    "%d.%m.%Y",  # 04.05.2023
    "%d-%m-%Y",  # 04-05-2023
    "%d %B %Y",  # 4 May 2023, 4 september 2023
    "%d %b %Y",  # 4 Sep 2023
    "%B %d %Y",  # May 4 2023
    "%B %d, %Y",  # May 4, 2023
    "%b %d %Y",  # Sep 4 2023
    "%b %d, %Y",  # Sep 4, 2023
    "%Y-%m-%d",  # 2023-05-04
]
