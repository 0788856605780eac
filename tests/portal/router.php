<?php
/*
 * Router for `php -S` (see tests/portal/wordpress.sh): existing files (static assets and
 * WordPress's own .php entry points such as wp-login.php or wp-cron.php) are served by the
 * built-in server; everything else (/wp-json/…, pretty permalinks) goes to index.php, as
 * Apache's mod_rewrite rules would do.
 */
$root = rtrim($_SERVER['DOCUMENT_ROOT'], '/');
$path = rawurldecode(parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/');

if (strpos($path, "\0") === false && strpos($path, '/.') === false) {
    $file = $root . $path;
    if (is_file($file)) {
        return false;
    }
    if (is_dir($file) && is_file(rtrim($file, '/') . '/index.php')) {
        return false;
    }
}

$_SERVER['SCRIPT_FILENAME'] = $root . '/index.php';
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
chdir($root);
require $root . '/index.php';
