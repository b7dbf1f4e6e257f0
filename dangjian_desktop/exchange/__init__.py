"""Excel exchange: the column specification of every sheet, the monthly package writer and
reader, and the reader of existing rosters. No Qt, no database: domain objects in and out."""
