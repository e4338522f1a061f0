"""Citizens' questions: comments under our Facebook posts and messages to our Zalo
OAs collected into `Question` rows (publishing/models/inbox.py), and forgotten
after the retention period. The inbox screens and answering build on them."""
