"""A real, throwaway WordPress on loopback: Debian's ``wordpress`` over a private MariaDB.

``WordPress(tmp).start()`` makes a MariaDB on a socket in ``tmp`` (no network), copies
``/usr/share/wordpress`` (with the ``twentytwentyone`` theme), installs it headless as
``../shared/tools/wxr-import`` does and serves it with ``php -S 127.0.0.1:PORT``.
:meth:`WordPress.php` runs PHP with WordPress loaded (``wp_insert_post``,
``wp_update_post``, ``wp_insert_comment``, ...) and returns what the code echoes as JSON;
:meth:`WordPress.dump` reads every published post, page, comment and attachment.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

SOURCE = Path("/usr/share/wordpress")
WXR_IMPORT = Path(__file__).resolve().parents[3] / "shared" / "tools" / "wxr-import"
THEME = "twentytwentyone"
PACKAGES = "mariadb-server php-cli php-mysql php-xml wordpress wordpress-theme-twentytwentyone"


def missing() -> str | None:
    """Why a WordPress cannot run here (None when it can)."""
    for tool in ("mariadbd", "mariadb-install-db", "mariadb", "php"):
        if not shutil.which(tool):
            return f"{tool} not found (apt-get install {PACKAGES})"
    if not (SOURCE / "wp-settings.php").exists():
        return f"{SOURCE} missing (apt-get install {PACKAGES})"
    if not (SOURCE / "wp-content" / "themes" / THEME).is_dir():
        return f"theme {THEME} missing (apt-get install wordpress-theme-{THEME})"
    probe = subprocess.run(
        ["php", "-r", "echo extension_loaded('mysqli') ? 'ok' : 'no';"],
        capture_output=True,
        text=True,
    )
    if probe.stdout.strip() != "ok":
        return "php has no mysqli (apt-get install php-mysql)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


ROUTER = """<?php
// php -S router: real files as they are, everything else through WordPress (pretty permalinks)
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . $path) && substr($path, -4) !== '.php') return false;
if (substr($path, -4) === '.php' && is_file(__DIR__ . $path)) { require __DIR__ . $path; return; }
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
"""

PRELUDE = """<?php
$_SERVER['HTTP_HOST'] = getenv('WP_HOSTPORT'); $_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_NAME'] = '127.0.0.1'; $_SERVER['SERVER_PORT'] = getenv('WP_PORT');
require getenv('WP_SITE') . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
wp_set_current_user(1);
"""


class WordPress:
    """One WordPress site; ``url`` is ``http://127.0.0.1:PORT/``."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.site = work / "site"
        self.sock = work / "db.sock"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.db: subprocess.Popen[bytes] | None = None
        self.web: subprocess.Popen[bytes] | None = None
        self.requests = 0

    # -- life -----------------------------------------------------------------------------
    def start(self) -> WordPress:
        self.work.mkdir(parents=True, exist_ok=True)
        data = self.work / "db"
        subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={data}",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
        )
        self.db = subprocess.Popen(
            [
                "mariadbd",
                "--no-defaults",
                f"--datadir={data}",
                f"--socket={self.sock}",
                "--skip-networking",
                f"--pid-file={self.work / 'db.pid'}",
                "--user=root",
                "--innodb-flush-log-at-trx-commit=0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.work / "db.log").open("wb"),
        )
        for _ in range(300):
            if self.sock.exists():
                break
            time.sleep(0.1)
        subprocess.run(
            [
                "mariadb",
                "--no-defaults",
                "-S",
                str(self.sock),
                "-uroot",
                "-e",
                "CREATE DATABASE wp",
            ],
            check=True,
            capture_output=True,
        )
        shutil.copytree(
            SOURCE, self.site, symlinks=False, ignore=shutil.ignore_patterns(".htaccess")
        )
        (self.site / "wp-content" / "uploads").mkdir(parents=True, exist_ok=True)
        (self.site / "wp-config.php").write_text(
            f"""<?php
define('DB_NAME', 'wp'); define('DB_USER', 'root'); define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{self.sock}'); define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';
define('WP_HOME', 'http://127.0.0.1:{self.port}'); define('WP_SITEURL', 'http://127.0.0.1:{self.port}');
define('WP_CONTENT_DIR', '{self.site}/wp-content');
define('WP_CONTENT_URL', 'http://127.0.0.1:{self.port}/wp-content');
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_DEBUG', false);
if (!defined('ABSPATH')) define('ABSPATH', '{self.site}/');
require_once ABSPATH . 'wp-settings.php';
"""
        )
        (self.site / "router.php").write_text(ROUTER)
        self.php(
            "wp_install('Snapshot Test Blog', 'admin', 'admin@example.invalid', true, '',"
            " 'not-a-password-' . wp_rand());"
            "update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');"
            f"switch_theme('{THEME}');"
            "update_option('posts_per_page', 5); update_option('comments_per_page', 50);"
            "update_option('default_comment_status', 'open');"
            "update_option('comment_moderation', 0);"
            "update_option('comment_previously_approved', 0);"
            "flush_rewrite_rules(true); echo json_encode(true);",
            installing=True,
        )
        self.serve()
        return self

    def serve(self) -> None:
        env = dict(os.environ, PHP_CLI_SERVER_WORKERS="2")
        self.web = subprocess.Popen(
            [
                "php",
                "-S",
                f"127.0.0.1:{self.port}",
                "-t",
                str(self.site),
                str(self.site / "router.php"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.work / "web.log").open("ab"),
            env=env,
            start_new_session=True,
        )
        for _ in range(200):
            try:
                with urllib.request.urlopen(self.url, timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"WordPress did not answer on {self.url}")

    def stop_web(self) -> None:
        """Stop the blog (the database stays, for reading)."""
        if self.web and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            self.web.wait(timeout=10)
        self.web = None

    def stop(self) -> None:
        self.stop_web()
        if self.db and self.db.poll() is None:
            self.db.terminate()
            try:
                self.db.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.db.kill()
        self.db = None

    # -- WordPress's own functions ------------------------------------------------------
    def php(self, code: str, *, installing: bool = False) -> Any:
        """Run ``code`` with WordPress loaded; what it echoes, read as JSON."""
        script = self.work / "run.php"
        prelude = PRELUDE
        if installing:
            prelude = (
                prelude.replace(
                    "require getenv('WP_SITE')",
                    "define('WP_INSTALLING', true);\nrequire getenv('WP_SITE')",
                )
                .replace(
                    "require_once ABSPATH . 'wp-admin/includes/admin.php';",
                    "require_once ABSPATH . 'wp-admin/includes/upgrade.php';",
                )
                .replace("wp_set_current_user(1);", "")
            )
        script.write_text(prelude + code + "\n")
        env = dict(
            os.environ,
            WP_SITE=str(self.site),
            WP_PORT=str(self.port),
            WP_HOSTPORT=f"127.0.0.1:{self.port}",
        )
        done = subprocess.run(
            ["php", str(script)], capture_output=True, text=True, env=env, timeout=120
        )
        if done.returncode != 0:
            raise RuntimeError(f"php failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
        out = done.stdout.strip().splitlines()
        return json.loads(out[-1]) if out else None

    def dump(self) -> dict[str, Any]:
        """Every published post and page, approved comment and attachment, as WordPress has them."""
        return self.php(
            r"""
$out = ['posts' => [], 'pages' => [], 'comments' => [], 'attachments' => []];
foreach (['post' => 'posts', 'page' => 'pages'] as $type => $key) {
    $all = ['post_type' => $type, 'post_status' => 'publish', 'numberposts' => -1];
    foreach (get_posts($all) as $p) {
        $out[$key][] = [
            'id' => $p->ID, 'title' => $p->post_title, 'url' => get_permalink($p),
            'date' => $p->post_date_gmt, 'modified' => $p->post_modified_gmt,
            'content' => apply_filters('the_content', $p->post_content),
            'raw' => $p->post_content,
            'categories' => wp_get_post_categories($p->ID, ['fields' => 'names']),
            'tags' => wp_get_post_tags($p->ID, ['fields' => 'names']),
        ];
    }
}
foreach (get_comments(['status' => 'approve']) as $c) {
    $out['comments'][] = ['id' => $c->comment_ID, 'post' => get_permalink($c->comment_post_ID),
        'author' => $c->comment_author, 'content' => $c->comment_content,
        'date' => $c->comment_date_gmt, 'parent' => $c->comment_parent];
}
$all = ['post_type' => 'attachment', 'numberposts' => -1, 'post_status' => 'any'];
foreach (get_posts($all) as $a) {
    $f = get_attached_file($a->ID);
    $out['attachments'][] = ['url' => wp_get_attachment_url($a->ID), 'sha1' => sha1_file($f)];
}
echo json_encode($out);
"""
        )

    def __enter__(self) -> WordPress:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wp_import(wxr: Path, tmp_path: Path) -> dict[str, Any]:
    """What a throwaway WordPress holds after importing ``wxr`` with its attachments
    (``../shared/tools/wxr-import``; the test is skipped where it cannot run)."""
    import pytest

    if not WXR_IMPORT.is_file() or not shutil.which("mariadbd") or not shutil.which("php"):
        pytest.skip("needs ../shared/tools/wxr-import, mariadb-server, php-cli (.ci/run)")
    if not Path("/usr/share/wordpress").is_dir():
        pytest.skip("needs Debian's wordpress package (.ci/run)")
    dump = tmp_path / "dump.json"
    proc = subprocess.run(
        [str(WXR_IMPORT), str(wxr), "--attachments", "--dump", str(dump)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(dump.read_text())
