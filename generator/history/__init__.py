"""The history stage; PERIODS is here so the command line can name it without loading pandas."""

PERIODS = {"day": "日报", "week": "周报", "month": "月调度", "quarter": "季通报", "year": "年度公开"}
