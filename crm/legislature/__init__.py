from flask import Blueprint

bp = Blueprint("legislature", __name__)
