/* builtin.h - the rule files compiled into the binary (generated table). */
#ifndef LL_BUILTIN_H
#define LL_BUILTIN_H

typedef struct LLBuiltinRuleFile {
    const char *path; /* as in the source tree, e.g. "rules/LL101-pickle-load.json" */
    const char *text; /* NUL-terminated */
    unsigned len;
} LLBuiltinRuleFile;

extern const LLBuiltinRuleFile ll_builtin_rule_files[];
extern const unsigned ll_builtin_rule_file_count;

#endif
