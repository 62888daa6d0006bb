// The DOM id of a question's section, shared by the form (which renders it) and the page (which jumps to it).
export const questionDomId = (qid: string) => `q-${qid.replace(/[^A-Za-z0-9_-]/g, '_')}`;
