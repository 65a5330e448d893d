"""The engine: contributions per indicator, expected and status, plan and pilot stages, cooperation, places."""
