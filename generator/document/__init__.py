"""The document stage: the office's 公文 as Word files (GB/T 9704-2012) — the period report as a
通报 (circular) and a 督办函 to each supervised unit (notice) — written from what the history and
analysis stages computed, never computing a figure again."""
