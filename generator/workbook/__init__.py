"""The workbook stage; FORMATS is here so the command line can name it without loading openpyxl."""

FORMATS = ("csv", "xlsx", "json")
