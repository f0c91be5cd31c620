"""清欠台账: load → validate → model → render → publish the ledgers of overdue SME debts."""

import os

# openpyxl serialises with lxml whenever lxml is installed (python-docx, for the 公文, brings it):
# then every non-ASCII character is written as &#21333; and the workbooks' bytes depend on the
# machine, and workbook.export's and template_fill's fast paths, which reproduce openpyxl's own
# writer byte for byte, give way to openpyxl. openpyxl reads this when it is first imported,
# so it is set here, before any stage imports it.
os.environ.setdefault("OPENPYXL_LXML", "False")
