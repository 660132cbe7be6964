from flask import Blueprint

bp = Blueprint("coalition", __name__)
