"""Process exit codes shared by every command (README, "Exit codes")."""

EXIT_OK = 0
#: anything else that stopped the command (e.g. the database cannot be opened)
EXIT_ERROR = 1
#: bad arguments or configuration, with a message
EXIT_USAGE = 2
#: the account is not the shop admin, or the login failed for good
EXIT_AUTH = 3
