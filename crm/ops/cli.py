import os
import signal
import subprocess
import sys

import click


def register(group: click.Group) -> None:
    @group.command("dev")
    @click.option("--host", default="127.0.0.1")
    @click.option("--port", default=5000, type=int)
    def dev_command(host, port):
        """Run the web server, plus the scheduler and sender when they exist, until Ctrl-C."""
        flask = [sys.executable, "-m", "flask"]
        env = dict(os.environ)
        children = []
        for name in ("scheduler", "sender"):
            if name in group.commands:
                children.append(subprocess.Popen([*flask, "crm", name], env=env))  # noqa: S603
        click.echo(f"Cabildeo is running on http://{host}:{port}/ (Ctrl-C stops everything)")
        web = subprocess.Popen([*flask, "run", "--host", host, "--port", str(port)], env=env)  # noqa: S603
        children.append(web)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
