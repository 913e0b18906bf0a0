# Models for this routine arrive with its issue.
