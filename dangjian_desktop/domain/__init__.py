"""The records, their enums and validation: pure Python, no Qt, no database."""
