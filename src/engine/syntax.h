/* syntax.h - the Python grammar's node kinds and fields as small integers.
 *
 * Built once per run from the TSLanguage (ll_syntax_init) and read-only
 * afterwards, so every worker shares it. Code compares LLKind values and
 * passes field ids instead of comparing strings in loops. Several grammar
 * symbols may map to one kind (tree-sitter aliases); ll_syntax_kind handles
 * that with a symbol-indexed table.
 *
 * Like comments, a backslash line continuation (LL_K_LINE_CONTINUATION) is
 * an "extra" of the grammar: a named node that may sit anywhere among the
 * children of a node (between arguments, dictionary items, names), and is
 * skipped wherever comments are. */
#ifndef LL_SYNTAX_H
#define LL_SYNTAX_H
#include <stdint.h>
#include <tree_sitter/api.h>

#define LL_KIND_LIST(X)                                                        \
    X(MODULE, "module")                                                        \
    X(FUNCTION_DEF, "function_definition")                                     \
    X(CLASS_DEF, "class_definition")                                           \
    X(DECORATED_DEF, "decorated_definition")                                   \
    X(DECORATOR, "decorator")                                                  \
    X(LAMBDA, "lambda")                                                        \
    X(IMPORT, "import_statement")                                              \
    X(IMPORT_FROM, "import_from_statement")                                    \
    X(FUTURE_IMPORT, "future_import_statement")                                \
    X(ALIASED_IMPORT, "aliased_import")                                        \
    X(DOTTED_NAME, "dotted_name")                                              \
    X(RELATIVE_IMPORT, "relative_import")                                      \
    X(IMPORT_PREFIX, "import_prefix")                                          \
    X(WILDCARD_IMPORT, "wildcard_import")                                      \
    X(ASSIGNMENT, "assignment")                                                \
    X(AUG_ASSIGNMENT, "augmented_assignment")                                  \
    X(NAMED_EXPR, "named_expression")                                          \
    X(FOR, "for_statement")                                                    \
    X(FOR_IN_CLAUSE, "for_in_clause")                                          \
    X(WITH_ITEM, "with_item")                                                  \
    X(AS_PATTERN, "as_pattern")                                                \
    X(AS_PATTERN_TARGET, "as_pattern_target")                                  \
    X(GLOBAL, "global_statement")                                              \
    X(NONLOCAL, "nonlocal_statement")                                          \
    X(EXCEPT_CLAUSE, "except_clause")                                          \
    X(TRY, "try_statement")                                                    \
    X(IF, "if_statement")                                                      \
    X(ELIF, "elif_clause")                                                     \
    X(ELSE, "else_clause")                                                     \
    X(WHILE, "while_statement")                                                \
    X(WITH, "with_statement")                                                  \
    X(FINALLY, "finally_clause")                                               \
    X(BLOCK, "block")                                                          \
    X(RETURN, "return_statement")                                              \
    X(RAISE, "raise_statement")                                                \
    X(ASSERT, "assert_statement")                                              \
    X(EXPR_STMT, "expression_statement")                                       \
    X(CALL, "call")                                                            \
    X(ATTRIBUTE, "attribute")                                                  \
    X(SUBSCRIPT, "subscript")                                                  \
    X(IDENTIFIER, "identifier")                                                \
    X(ARGUMENT_LIST, "argument_list")                                          \
    X(KEYWORD_ARGUMENT, "keyword_argument")                                    \
    X(LIST_SPLAT, "list_splat")                                                \
    X(DICT_SPLAT, "dictionary_splat")                                          \
    X(GENERATOR_EXPR, "generator_expression")                                  \
    X(STRING, "string")                                                        \
    X(CONCAT_STRING, "concatenated_string")                                    \
    X(STRING_CONTENT, "string_content")                                        \
    X(STRING_START, "string_start")                                            \
    X(STRING_END, "string_end")                                                \
    X(ESCAPE_SEQ, "escape_sequence")                                           \
    X(INTERPOLATION, "interpolation")                                          \
    X(INTEGER, "integer")                                                      \
    X(FLOAT, "float")                                                          \
    X(TRUE, "true")                                                            \
    X(FALSE, "false")                                                          \
    X(NONE, "none")                                                            \
    X(UNARY_OP, "unary_operator")                                              \
    X(BINARY_OP, "binary_operator")                                            \
    X(BOOLEAN_OP, "boolean_operator")                                          \
    X(COMPARISON_OP, "comparison_operator")                                    \
    X(NOT_OP, "not_operator")                                                  \
    X(CONDITIONAL_EXPR, "conditional_expression")                              \
    X(AWAIT, "await")                                                          \
    X(LIST, "list")                                                            \
    X(TUPLE, "tuple")                                                          \
    X(DICT, "dictionary")                                                      \
    X(SET, "set")                                                              \
    X(PAIR, "pair")                                                            \
    X(PAREN_EXPR, "parenthesized_expression")                                  \
    X(PATTERN_LIST, "pattern_list")                                            \
    X(TUPLE_PATTERN, "tuple_pattern")                                          \
    X(LIST_PATTERN, "list_pattern")                                            \
    X(EXPRESSION_LIST, "expression_list")                                      \
    X(PARAMETERS, "parameters")                                                \
    X(LAMBDA_PARAMETERS, "lambda_parameters")                                  \
    X(TYPED_PARAM, "typed_parameter")                                          \
    X(DEFAULT_PARAM, "default_parameter")                                      \
    X(TYPED_DEFAULT_PARAM, "typed_default_parameter")                          \
    X(LIST_SPLAT_PATTERN, "list_splat_pattern")                                \
    X(DICT_SPLAT_PATTERN, "dictionary_splat_pattern")                          \
    X(LIST_COMP, "list_comprehension")                                         \
    X(DICT_COMP, "dictionary_comprehension")                                   \
    X(SET_COMP, "set_comprehension")                                           \
    X(COMMENT, "comment")                                                      \
    X(TYPE, "type")                                                            \
    X(ERROR, "ERROR")                                                          \
    X(LINE_CONTINUATION, "line_continuation")

typedef enum LLKind {
    LL_K_OTHER = 0,
#define LL_KIND_ENUM(id, name) LL_K_##id,
    LL_KIND_LIST(LL_KIND_ENUM)
#undef LL_KIND_ENUM
    LL_K__COUNT
} LLKind;

#define LL_FIELD_LIST(X)                                                       \
    X(NAME, "name")                                                            \
    X(ALIAS, "alias")                                                          \
    X(MODULE_NAME, "module_name")                                              \
    X(LEFT, "left")                                                            \
    X(RIGHT, "right")                                                          \
    X(VALUE, "value")                                                          \
    X(FUNCTION, "function")                                                    \
    X(ARGUMENTS, "arguments")                                                  \
    X(OBJECT, "object")                                                        \
    X(ATTRIBUTE, "attribute")                                                  \
    X(BODY, "body")                                                            \
    X(PARAMETERS, "parameters")                                                \
    X(SUPERCLASSES, "superclasses")                                            \
    X(KEY, "key")                                                              \
    X(TYPE, "type")                                                            \
    X(OPERATOR, "operator")                                                    \
    X(SUBSCRIPT, "subscript")                                                  \
    X(DEFINITION, "definition")                                                \
    X(ARGUMENT, "argument")                                                    \
    X(CONDITION, "condition")                                                  \
    X(CONSEQUENCE, "consequence")                                              \
    X(ALTERNATIVE, "alternative")                                              \
    X(RETURN_TYPE, "return_type")

typedef enum LLField {
#define LL_FIELD_ENUM(id, name) LL_F_##id,
    LL_FIELD_LIST(LL_FIELD_ENUM)
#undef LL_FIELD_ENUM
    LL_F__COUNT
} LLField;

typedef struct LLSyntax {
    const TSLanguage *language;
    uint32_t symbol_count;
    uint8_t *kind_of_symbol;          /* symbol id -> LLKind; owned */
    TSFieldId field[LL_F__COUNT];     /* LLField -> grammar field id (0: absent) */
} LLSyntax;

/* The compiled-in tree-sitter-python grammar. */
const TSLanguage *ll_syntax_python(void);
/* Builds the tables; 0 on success, -1 if the grammar lacks a kind or field
 * loadlint needs (a grammar/version mismatch). */
int ll_syntax_init(LLSyntax *syn, const TSLanguage *lang);
void ll_syntax_release(LLSyntax *syn);

static inline LLKind ll_syntax_kind(const LLSyntax *syn, TSNode n)
{
    TSSymbol s = ts_node_symbol(n);
    if (s < syn->symbol_count)
        return (LLKind)syn->kind_of_symbol[s];
    return s == (TSSymbol)-1 ? LL_K_ERROR : LL_K_OTHER;
}

static inline TSNode ll_syntax_field(const LLSyntax *syn, TSNode n, LLField f)
{
    return ts_node_child_by_field_id(n, syn->field[f]);
}

const char *ll_syntax_kind_name(LLKind k);

#endif
