"""Model-serving demo service (deliberately vulnerable example for loadlint)."""

from flask import Flask

from .config import load_settings


def create_app(config_path: str = "settings.yaml") -> Flask:
    app = Flask(__name__)
    app.config.update(load_settings(config_path))

    from .upload import bp as upload_bp

    app.register_blueprint(upload_bp)
    return app
