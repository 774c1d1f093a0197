"""Standards and programs as data (YAML), loaded by bot.standards."""
