"""GreenCheck (绿色社区自查助手): a Telegram bot for the green-community creation self-check."""
