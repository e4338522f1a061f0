"""`python -m tests.publishing.clocked_scheduler OFFSET [run_scheduler args]`: the
real scheduler with its clock moved OFFSET seconds (time-machine, ticking), so a
test can run it at an hour of its choosing (Zalo sends broadcasts 06:00-21:59)
while the test moves its own clock, and the sandbox's, by the same offset."""

import datetime
import sys
import time

import time_machine
from django.core.management import execute_from_command_line

if __name__ == "__main__":
    offset = float(sys.argv[1])
    moment = datetime.datetime.fromtimestamp(time.time() + offset, datetime.UTC)
    time_machine.travel(moment, tick=True).start()
    execute_from_command_line(["manage.py", "run_scheduler", *sys.argv[2:]])
