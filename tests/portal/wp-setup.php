<?php
/*
 * Helper for tests/portal/wordpress.sh (run with the PHP CLI, never served over HTTP).
 *
 *   php wp-setup.php install     <wp_dir> <url>
 *       Runs wp_install() on the empty database (WP_INSTALLING, fake HTTP_HOST).
 *   php wp-setup.php configure   <wp_dir> <url> <credentials.json>
 *       Pretty permalinks, the ten portal categories, the test users and one
 *       application password each; writes everything to <credentials.json>.
 *   php wp-setup.php credentials <credentials.json> <url> <credentials.env>
 *       Stores <url> in <credentials.json> and writes its shell twin <credentials.env>.
 *       Does not load WordPress.
 */

const PORTAL_CATEGORIES = [
    'Business', 'Entertainment', 'Environment', 'Health', 'News Analysis',
    'Opinion', 'Science', 'Sports', 'Technology', 'World',
];

// key in credentials.json => [login, role, display name, first name, last name]; the key,
// upper-cased, is the NEWSROOM_WP_<KEY>_USER / _PASSWORD prefix in credentials.env.
const PORTAL_USERS = [
    'admin'       => ['admin', 'administrator', 'admin', '', ''],
    'author'      => ['ana', 'author', 'Ana Kovač', 'Ana', 'Kovač'],
    'contributor' => ['carl', 'contributor', 'Carl Brandt', 'Carl', 'Brandt'],
    'editor'      => ['edith', 'editor', 'Edith Moreau', 'Edith', 'Moreau'],
    'author2'     => ['olga', 'author', 'Olga Petrenko', 'Olga', 'Petrenko'],
];

const APP_PASSWORD_NAME = 'newsroom-tests';
const EMAIL_DOMAIN = 'newsroom.test';

function fail(string $message): void
{
    fwrite(STDERR, "wp-setup.php: $message\n");
    exit(1);
}

function check($result, string $what)
{
    if (is_wp_error($result)) {
        fail("$what: " . $result->get_error_code() . ': ' . $result->get_error_message());
    }
    return $result;
}

function random_secret(int $length = 24): string
{
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    $out = '';
    for ($i = 0; $i < $length; $i++) {
        $out .= $alphabet[random_int(0, strlen($alphabet) - 1)];
    }
    return $out;
}

function write_private(string $path, string $content): void
{
    $tmp = $path . '.tmp';
    $old = umask(077);
    if (file_put_contents($tmp, $content) === false) {
        fail("cannot write $tmp");
    }
    umask($old);
    chmod($tmp, 0600);
    if (!rename($tmp, $path)) {
        fail("cannot rename $tmp to $path");
    }
}

function write_json(string $path, array $data): void
{
    $json = json_encode($data, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    if ($json === false) {
        fail('json_encode: ' . json_last_error_msg());
    }
    write_private($path, $json . "\n");
}

/** Pretend to be a request to $url so WordPress neither redirects nor exits. */
function fake_request(string $url): void
{
    $host = parse_url($url, PHP_URL_HOST) ?: '127.0.0.1';
    $port = parse_url($url, PHP_URL_PORT);
    $_SERVER['HTTP_HOST'] = $port ? "$host:$port" : $host;
    $_SERVER['SERVER_NAME'] = $host;
    $_SERVER['SERVER_PORT'] = (string) ($port ?: 80);
    $_SERVER['REQUEST_URI'] = '/';
    $_SERVER['REQUEST_METHOD'] = 'GET';
    $_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
    $_SERVER['REMOTE_ADDR'] = '127.0.0.1';
}

function load_wordpress(string $wp_dir): void
{
    if (!is_file("$wp_dir/wp-load.php") || !is_file("$wp_dir/wp-config.php")) {
        fail("$wp_dir is not a configured WordPress copy");
    }
    require_once "$wp_dir/wp-load.php";
}

function cmd_install(string $wp_dir, string $url): void
{
    define('WP_INSTALLING', true);
    fake_request($url);
    load_wordpress($wp_dir);
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    if (is_blog_installed()) {
        fwrite(STDERR, "wp-setup.php: WordPress already installed, nothing to do\n");
        return;
    }
    // The site's login password is replaced (and recorded) by `configure`.
    $result = wp_install('Newsroom Test Portal', 'admin', 'admin@' . EMAIL_DOMAIN, false, '', random_secret());
    if (empty($result['user_id'])) {
        fail('wp_install() did not create the admin user');
    }
    fwrite(STDERR, "wp-setup.php: installed WordPress " . get_bloginfo('version') . "\n");
}

function cmd_configure(string $wp_dir, string $url, string $json_path): void
{
    fake_request($url);
    load_wordpress($wp_dir);
    if (!is_blog_installed()) {
        fail('WordPress is not installed');
    }
    if (!class_exists('WP_Application_Passwords')) {
        fail('this WordPress has no application passwords');
    }

    global $wp_rewrite;
    $wp_rewrite->set_permalink_structure('/%postname%/');
    flush_rewrite_rules(false);
    update_option('blog_public', '0');

    $categories = [];
    foreach (PORTAL_CATEGORIES as $name) {
        $existing = term_exists($name, 'category');
        $term = $existing ?: check(wp_insert_term($name, 'category'), "category $name");
        $categories[$name] = (int) $term['term_id'];
    }

    $users = [];
    foreach (PORTAL_USERS as $key => [$login, $role, $display, $first, $last]) {
        $login_password = random_secret();
        $user = get_user_by('login', $login);
        $fields = [
            'user_login'   => $login,
            'user_pass'    => $login_password,
            'user_email'   => $login . '@' . EMAIL_DOMAIN,
            'display_name' => $display,
            'nickname'     => $display,
            'first_name'   => $first,
            'last_name'    => $last,
            'role'         => $role,
        ];
        if ($user) {
            $fields['ID'] = $user->ID;
            $id = check(wp_update_user($fields), "user $login");
        } else {
            $id = check(wp_insert_user($fields), "user $login");
        }
        $id = (int) $id;

        // Only the newest password is known, so start from a clean slate.
        WP_Application_Passwords::delete_all_application_passwords($id);
        [$app_password] = check(
            WP_Application_Passwords::create_new_application_password($id, ['name' => APP_PASSWORD_NAME]),
            "application password for $login"
        );
        $users[$key] = [
            'id'             => $id,
            'user'           => $login,
            'password'       => $app_password,
            'login_password' => $login_password,
            'role'           => $role,
            'display_name'   => $display,
            'email'          => $login . '@' . EMAIL_DOMAIN,
        ];
    }

    write_json($json_path, [
        'url'        => $url,
        'users'      => $users,
        'categories' => $categories,
    ]);
}

function env_value(string $name, $value): string
{
    $value = (string) $value;
    if (!preg_match('~^[A-Za-z0-9._:/@+-]+$~', $value)) {
        fail("refusing to write an unquoted shell value for $name");
    }
    return "$name=$value\n";
}

function cmd_credentials(string $json_path, string $url, string $env_path): void
{
    $data = json_decode((string) @file_get_contents($json_path), true);
    if (!is_array($data) || !isset($data['users']['admin'])) {
        fail("$json_path is missing or unreadable");
    }
    $data['url'] = $url;
    write_json($json_path, $data);

    $env = "# Generated by tests/portal/wordpress.sh; application passwords for the REST API.\n";
    $env .= env_value('NEWSROOM_WP_URL', $url);
    foreach (array_keys(PORTAL_USERS) as $key) {
        if (!isset($data['users'][$key])) {
            fail("$json_path has no user '$key'");
        }
        $prefix = 'NEWSROOM_WP_' . strtoupper($key);
        $env .= env_value("{$prefix}_USER", $data['users'][$key]['user']);
        $env .= env_value("{$prefix}_PASSWORD", $data['users'][$key]['password']);
    }
    $env .= env_value('NEWSROOM_WP_ADMIN_LOGIN_PASSWORD', $data['users']['admin']['login_password']);
    write_private($env_path, $env);
}

$args = array_slice($argv, 1);
switch ($args[0] ?? '') {
    case 'install':
        count($args) === 3 || fail('usage: install <wp_dir> <url>');
        cmd_install($args[1], $args[2]);
        break;
    case 'configure':
        count($args) === 4 || fail('usage: configure <wp_dir> <url> <credentials.json>');
        cmd_configure($args[1], $args[2], $args[3]);
        break;
    case 'credentials':
        count($args) === 4 || fail('usage: credentials <credentials.json> <url> <credentials.env>');
        cmd_credentials($args[1], $args[2], $args[3]);
        break;
    default:
        fail('usage: wp-setup.php install|configure|credentials …');
}
