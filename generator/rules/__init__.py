"""The standing rules of 《保障中小企业款项支付条例》 (DESIGN §3c): pure functions of a debt's terms, its
payments, the configured regulations and the national working-day calendar. A stage between core
(records, configuration) and validate, so every later stage asks the same rules."""
