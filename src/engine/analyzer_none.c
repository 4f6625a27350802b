/* analyzer_none.c - a build without the model-file readers
 * (-DLOADLINT_SKIP_ARTIFACTS=ON): no file is offered to them, and no
 * source finding is joined with a model file (join.h). */
#include "engine/analyzer.h"
#include "engine/join.h"

#include <string.h>

const LLAnalyzer *ll_analyzer_artifact(void)
{
    return 0;
}

LLArtifactSummarizer *ll_artifact_summarizer_new(void)
{
    return 0;
}

void ll_artifact_summarizer_free(LLArtifactSummarizer *s)
{
    (void)s;
}

bool ll_artifact_summarize(LLArtifactSummarizer *s, const LLFileEntry *fe, LLArtifactSummary *out)
{
    (void)s;
    (void)fe;
    memset(out, 0, sizeof *out);
    return false;
}
