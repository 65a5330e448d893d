"""The project model: indicators.yaml validated (config), the spreadsheet contract, the EU indicator catalogue."""
