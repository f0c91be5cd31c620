"""清欠台账: load → validate → model → render → publish the ledgers of overdue SME debts."""
