"""Reading a sheet: cells parsed, tabs cleaned into typed tables, cross-tab checks; every problem at its cell."""
