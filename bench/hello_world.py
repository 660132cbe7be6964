"""The floor bench/request_floor.py compares against: one Flask route, no database, no session."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
