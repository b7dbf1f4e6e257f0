"""Use cases: each opens one session, calls repositories (and exchange), commits once."""
