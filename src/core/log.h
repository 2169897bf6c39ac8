/* log.h - one-line logs to stderr.  Never pass passwords, tokens, cookies
 * or decrypted sensitive values to these functions. */
#ifndef ZB_LOG_H
#define ZB_LOG_H

void zb_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define zb_info(...) zb_log("info", __VA_ARGS__)
#define zb_warn(...) zb_log("warn", __VA_ARGS__)
#define zb_error(...) zb_log("error", __VA_ARGS__)
/* 0 silences info lines (tests, CLI); warnings and errors always print. */
void zb_log_set_verbose(int on);
/* The level by name, as ZHIBU_LOG gives it: "info" (everything, with one
 * access-log line per request), "warn" (warnings and errors), "error"
 * (errors only).  -1 for any other name, changing nothing. */
int zb_log_set_level(const char *name);
/* 1 if info lines (the access log among them) are printed. */
int zb_log_info_on(void);

#endif
