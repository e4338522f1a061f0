"""What people must know: failed and held posts, channels to reconnect, a
stopped scheduler, as notifications in the admin and by e-mail
(`notifications.py`)."""
