"""Input formats shared by the project's languages (see vi/formats.py): ISO first,
then dd/mm/yyyy as Wagtail's date pickers write it (WAGTAIL_DATE_FORMAT,
WAGTAIL_DATETIME_FORMAT); no mm/dd/yyyy, which would read 05/12 as 12 May."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
