/* analyzer_none.c - a build without the model-file readers
 * (-DLOADLINT_SKIP_ARTIFACTS=ON): no file is offered to them. */
#include "engine/analyzer.h"

const LLAnalyzer *ll_analyzer_artifact(void)
{
    return 0;
}
