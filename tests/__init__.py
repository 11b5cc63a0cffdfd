"""The test suite, a package: its modules share helpers as `tests.<module>` under plain pytest."""
