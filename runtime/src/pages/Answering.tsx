// 答题: one level at a time. Left, the navigation tree (a Drawer on narrow screens) and the search box;
// right, the current sub-domain's questions (@rjsf from the form endpoint), 上一步 / 下一步 / 保存 / 提交,
// answers saved automatically (debounced PUT) with a visible state, and the progress view.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App, AutoComplete, Button, Card, Drawer, Grid, Input, Modal, Progress, Space, Tooltip, Typography } from 'antd';
import {
  BarChartOutlined,
  CheckCircleOutlined,
  CloudSyncOutlined,
  ExclamationCircleOutlined,
  LeftOutlined,
  MenuUnfoldOutlined,
  RightOutlined,
  SaveOutlined,
  SearchOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { api, ApiError, pointerParts, type AnswerValue, type Diagnosis, type FormResponse, type NavigationNode, type Outline, type SearchHit, type SubmitLevelResponse } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../../../ui/router.tsx';
import { onBeforeLogout } from '../session.tsx';
import { formatTime, LoadError, Loading, useAsync } from '../util.tsx';
import { Autosave } from '../../../ui/autosave.ts';
import { questionDomId } from '../../../ui/questionForm/questionIds.ts';

// @rjsf and ajv are only needed here: loaded with the answering page, not with the login page.
const QuestionForm = lazy(() => import('../../../ui/questionForm/QuestionForm.tsx').then((m) => ({ default: m.QuestionForm })));
import { countTree, findNode, leavesOf, Legend, NavTree, StatusDot, type Counted } from '../components/NavTree.tsx';

type SaveState = { status: 'idle' } | { status: 'dirty' } | { status: 'saving' } | { status: 'saved'; at: string } | { status: 'error'; message: string; stale?: boolean };

const AUTOSAVE_MS = 800;

export function AnsweringPage({
  diagnosis,
  outline,
  level,
  onSubmitted,
}: {
  diagnosis: Diagnosis;
  outline: Outline;
  level: number;
  onSubmitted: (r: SubmitLevelResponse) => void;
}) {
  const nav = useAsync(() => api.navigation(diagnosis.id, level), [diagnosis.id, level]);
  if (nav.error && !nav.data) return <div className="page"><LoadError error={nav.error} onRetry={nav.reload} /></div>;
  if (!nav.data) return <Loading />;
  return <Answering diagnosis={diagnosis} outline={outline} level={level} navigation={nav.data} onSubmitted={onSubmitted} />;
}

function Answering({
  diagnosis,
  outline,
  level,
  navigation,
  onSubmitted,
}: {
  diagnosis: Diagnosis;
  outline: Outline;
  level: number;
  navigation: NavigationNode[];
  onSubmitted: (r: SubmitLevelResponse) => void;
}) {
  const { t, locale } = useI18n();
  const { modal, message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const wide = !!screens.md;
  const levelInfo = outline.levels.find((l) => l.number === level);
  const levelName = levelInfo?.name ?? String(level);

  // ---- answers held on the page, saved in the background ----
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>(() => ({ ...diagnosis.answers }));
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const revision = useRef(diagnosis.revision);
  /** After a 409 "stale" nothing is retried by itself: the page must be reloaded first. */
  const stale = useRef(false);
  // Answers change one question at a time; a save sends every change since the last one (merged),
  // with the revision it builds on.
  const autosave = useMemo(
    () =>
      new Autosave<Record<string, AnswerValue | null>>({
        delayMs: AUTOSAVE_MS,
        merge: (a, b) => ({ ...a, ...b }),
        save: async (batch) => {
          const r = await api.saveAnswers(diagnosis.id, batch, revision.current);
          revision.current = r.revision;
          return r.savedAt;
        },
        onStatus: (s) => {
          if (s.status === 'error') {
            const err = s.error as ApiError;
            stale.current = err.code === 'stale';
            setSave({ status: 'error', message: err.message, stale: stale.current });
          } else if (s.status === 'saved') setSave({ status: 'saved', at: s.at ?? new Date().toISOString() });
          else if (s.status !== 'closed') setSave(s);
        },
      }),
    [diagnosis.id],
  );
  const flush = useCallback(() => (stale.current ? Promise.resolve(false) : autosave.flush()), [autosave]);

  const onChange = useCallback(
    (changes: Record<string, AnswerValue | null>) => {
      setAnswers((a) => {
        const next = { ...a };
        for (const [id, v] of Object.entries(changes)) {
          if (v === null) delete next[id];
          else next[id] = v;
        }
        return next;
      });
      if (!stale.current) autosave.change(changes);
    },
    [autosave],
  );

  // Unsaved answers: save when the page is hidden or before logging out, warn before closing the page.
  useEffect(() => {
    autosave.reopen();
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (autosave.dirty) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    const hidden = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('visibilitychange', hidden);
    const unregister = onBeforeLogout(flush);
    return () => {
      unregister();
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('visibilitychange', hidden);
      // Leaving the page saves what is left, then nothing more.
      void autosave.close({ save: !stale.current });
    };
  }, [autosave, flush]);

  // ---- the tree, the current node and its form ----
  const tree = useMemo(() => countTree(navigation, answers, locale), [navigation, answers, locale]);
  const leaves = useMemo(() => leavesOf(tree), [tree]);
  const [current, setCurrent] = useState<string | undefined>(() => {
    const first = leavesOf(countTree(navigation, diagnosis.answers, locale));
    return (first.find((l) => l.answered < l.total) ?? first[0])?.node.id;
  });
  const currentNode = current ? findNode(tree, current) : undefined;
  const [expanded, setExpanded] = useState<string[]>(() => {
    const c = current ? findNode(countTree(navigation, {}, locale), current) : undefined;
    return [...(c?.parents ?? []), ...(c ? [c.node.id] : [])];
  });
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [focusQuestion, setFocusQuestion] = useState<string>();

  const forms = useRef(new Map<string, FormResponse>());
  const [form, setForm] = useState<FormResponse>();
  const [formError, setFormError] = useState<ApiError>();
  const [formTick, setFormTick] = useState(0);
  useEffect(() => {
    if (!current) return;
    const key = `${locale}:${current}`;
    const cached = forms.current.get(key);
    if (cached) {
      setForm(cached);
      setFormError(undefined);
      return;
    }
    let live = true;
    setForm(undefined);
    setFormError(undefined);
    api.form(diagnosis.id, level, current).then(
      (f) => {
        forms.current.set(key, f);
        if (live) setForm(f);
      },
      (e: ApiError) => live && setFormError(e),
    );
    return () => {
      live = false;
    };
  }, [current, diagnosis.id, level, locale, formTick]);

  // After a jump (search, a question in the tree): bring the question into view and focus it.
  const contentRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!form || !focusQuestion || !form.questionIds.includes(focusQuestion)) return;
    let tries = 0;
    let timer: number | undefined;
    const attempt = () => {
      const el = document.getElementById(questionDomId(focusQuestion));
      if (!el) {
        // The form may still be rendering (its code is loaded lazily).
        if (++tries < 40) timer = window.setTimeout(attempt, 50);
        return;
      }
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
      el.classList.add('question-flash');
      window.setTimeout(() => el.classList.remove('question-flash'), 1600);
      setFocusQuestion(undefined);
    };
    attempt();
    return () => window.clearTimeout(timer);
  }, [form, focusQuestion]);

  const go = (id: string, question?: string) => {
    const node = findNode(tree, id);
    // A node without questions of its own opens its first sub-domain.
    const target = node && !(node.node.questions ?? []).length ? (leavesOf([node])[0] ?? node) : node;
    if (!target) return;
    setCurrent(target.node.id);
    // Like an accordion: the path to the current sub-domain is open, the rest folds away.
    setExpanded([...target.parents, target.node.id]);
    setFocusQuestion(question);
    setDrawerOpen(false);
    if (!question) window.setTimeout(() => contentRef.current?.focus({ preventScroll: false }), 0);
    void flush();
  };

  const index = leaves.findIndex((l) => l.node.id === current);
  const prev = index > 0 ? leaves[index - 1] : undefined;
  const next = index >= 0 && index < leaves.length - 1 ? leaves[index + 1] : undefined;

  const total = tree.reduce((s, c) => s + c.total, 0);
  const answeredCount = tree.reduce((s, c) => s + c.answered, 0);
  const allAnswered = total > 0 && answeredCount === total;
  const numberOf = useMemo(() => {
    const m = new Map<string, string>();
    const walk = (ns: NavigationNode[]) => ns.forEach((n) => ((n.questions ?? []).forEach((q) => m.set(q.id, q.number)), walk(n.children ?? [])));
    walk(navigation);
    return m;
  }, [navigation]);

  // ---- save, submit ----
  const saveNow = async () => {
    const ok = await flush();
    if (ok) message.success(t('answer.savedToast'));
  };

  const [submitting, setSubmitting] = useState(false);
  const submit = () => {
    modal.confirm({
      title: t('answer.submitConfirmTitle', { level: levelName }),
      content: t('answer.submitConfirm'),
      okText: t('answer.submit'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setSubmitting(true);
        try {
          if (!(await flush())) return;
          const r = await api.submitLevel(diagnosis.id, level);
          onSubmitted(r);
        } catch (e) {
          const err = e as ApiError;
          if (err.code === 'unanswered' || err.details.length) {
            const numbers = err.details.map((d) => {
              const parts = pointerParts(d.field);
              const qid = parts[parts.length - 1];
              return numberOf.get(qid) ?? qid;
            });
            modal.error({
              title: t('answer.unansweredTitle'),
              content: (
                <>
                  <p>{err.message}</p>
                  {numbers.length > 0 && <p>{t('answer.unansweredList', { numbers: numbers.join(locale === 'en' ? ', ' : '、') })}</p>}
                </>
              ),
              okText: t('common.ok'),
            });
          } else modal.error({ title: t('common.error'), content: err.message, okText: t('common.ok') });
        } finally {
          setSubmitting(false);
        }
      },
    });
  };

  // ---- rendering ----
  const navPanel = (
    <div className="nav-panel">
      <SearchBox diagnosisId={diagnosis.id} level={level} onPick={(hit) => go(hit.nodeId, hit.id)} />
      <Legend />
      <nav aria-label={t('answer.nav')}>
        <NavTree
          tree={tree}
          current={current}
          expanded={expanded}
          onExpand={setExpanded}
          onSelectNode={(id) => go(id)}
          onSelectQuestion={(nodeId, qid) => go(nodeId, qid)}
          answers={answers}
        />
      </nav>
    </div>
  );

  // "人员 / 组织战略" rather than "人员 / 组织战略 / 组织战略" when a domain has one sub-domain of the same name.
  const path = (currentNode ? [...currentNode.parents.map((p) => findNode(tree, p)?.name ?? p), currentNode.name] : []).filter((n, i, all) => i === 0 || n !== all[i - 1]);

  return (
    <div className="page page-wide answering">
      <div className="breadcrumbs">
        <Link to="/">{t('nav.selfDiagnosis')}</Link> / {diagnosis.ruleset.title}
      </div>
      <div className="answer-heading">
        <Typography.Title level={1} className="level-title">
          <span className="level-name">{levelName}</span>
          <span className="level-number">{t('answer.level', { number: level })}</span>
        </Typography.Title>
        <div className="level-progress">
          <Progress
            percent={total ? Math.round((answeredCount / total) * 100) : 0}
            success={{ percent: total ? Math.round((answeredCount / total) * 100) : 0 }}
            format={() => `${answeredCount}/${total}`}
            aria-label={t('answer.levelProgress')}
          />
          <ProgressButton tree={tree} />
        </div>
      </div>
      <div className="answer-layout">
        {wide && <aside className="answer-sider">{navPanel}</aside>}
        <div className="answer-content">
          {!wide && (
            <>
              <Button icon={<MenuUnfoldOutlined aria-hidden="true" />} onClick={() => setDrawerOpen(true)} className="nav-open-button" aria-expanded={drawerOpen} aria-controls="nav-drawer">
                {t('answer.openNav')}
              </Button>
              <Drawer id="nav-drawer" title={t('answer.nav')} placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={340} className="nav-drawer">
                {navPanel}
              </Drawer>
            </>
          )}
          <Card
            className="question-card"
            title={
              <div className="node-heading" ref={contentRef} tabIndex={-1}>
                {currentNode && <StatusDot status={currentNode.status} />}
                <h2 className="node-path">{path.join(' / ')}</h2>
              </div>
            }
            extra={currentNode && <span className="node-counts">{t('answer.counts', { answered: currentNode.answered, remaining: currentNode.total - currentNode.answered })}</span>}
          >
            {formError ? (
              <LoadError error={formError} onRetry={() => setFormTick((n) => n + 1)} />
            ) : !form ? (
              <Loading />
            ) : form.questionIds.length === 0 ? (
              <Typography.Text type="secondary">{t('answer.noQuestions')}</Typography.Text>
            ) : (
              <Suspense fallback={<Loading />}>
                <QuestionForm form={form} values={answers} onChange={onChange} levelName={levelName} locale={locale} />
              </Suspense>
            )}
            <Typography.Paragraph type="secondary" className="answer-tip">
              {t('answer.tip')}
            </Typography.Paragraph>
          </Card>
          <div className="answer-actions" role="toolbar" aria-label={t('answer.actions')}>
            <SaveIndicator
              state={save}
              onRetry={() => void flush()}
              onReload={() => {
                void autosave.close({ save: false }).then(() => window.location.reload());
              }}
            />
            <Space wrap className="answer-buttons">
              <Button icon={<LeftOutlined aria-hidden="true" />} disabled={!prev} onClick={() => prev && go(prev.node.id)}>
                {t('answer.prev')}
              </Button>
              <Button disabled={!next} onClick={() => next && go(next.node.id)}>
                {t('answer.next')}
                <RightOutlined aria-hidden="true" />
              </Button>
              <Button icon={<SaveOutlined aria-hidden="true" />} onClick={() => void saveNow()} loading={save.status === 'saving'}>
                {t('answer.save')}
              </Button>
              <Tooltip title={allAnswered ? undefined : t('answer.submitHint')}>
                <Button type="primary" icon={<SendOutlined aria-hidden="true" />} disabled={!allAnswered} loading={submitting} onClick={submit} aria-describedby={allAnswered ? undefined : 'submit-hint'}>
                  {t('answer.submit')}
                </Button>
              </Tooltip>
            </Space>
            {!allAnswered && (
              <span id="submit-hint" className="sr-only">
                {t('answer.submitHint')}
              </span>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

function SaveIndicator({ state, onRetry, onReload }: { state: SaveState; onRetry: () => void; onReload: () => void }) {
  const { t } = useI18n();
  let content: React.ReactNode = null;
  switch (state.status) {
    case 'saving':
      content = (
        <span className="save-state save-saving">
          <CloudSyncOutlined aria-hidden="true" /> {t('answer.saving')}
        </span>
      );
      break;
    case 'dirty':
      content = <span className="save-state save-dirty">{t('answer.unsaved')}</span>;
      break;
    case 'saved':
      content = (
        <span className="save-state save-saved">
          <CheckCircleOutlined aria-hidden="true" /> {t('answer.saved', { time: formatTime(state.at) })}
        </span>
      );
      break;
    case 'error':
      content = (
        <span className="save-state save-error">
          <ExclamationCircleOutlined aria-hidden="true" /> {t('answer.saveError', { message: state.message })}{' '}
          {state.stale ? (
            <Button size="small" type="link" onClick={onReload}>
              {t('common.reload')}
            </Button>
          ) : (
            <Button size="small" type="link" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          )}
        </span>
      );
      break;
    default:
      content = null;
  }
  return (
    <div className="save-indicator" role="status" aria-live="polite">
      {content}
    </div>
  );
}

/** 进度查看: answered / total of the level and of each top-level node. */
function ProgressButton({ tree }: { tree: Counted[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button icon={<BarChartOutlined aria-hidden="true" />} onClick={() => setOpen(true)}>
        {t('answer.progress')}
      </Button>
      <Modal open={open} onCancel={() => setOpen(false)} footer={null} title={t('answer.progressTitle')} width={520}>
        <Legend />
        <ul className="progress-list">
          {tree.map((c) => (
            <li key={c.node.id}>
              <div className="progress-line">
                <span>
                  <StatusDot status={c.status} /> <strong>{c.name}</strong> {t('answer.total', { n: c.total })}
                </span>
                <span className="progress-counts">{t('answer.counts', { answered: c.answered, remaining: c.total - c.answered })}</span>
              </div>
              <Progress
                percent={c.total ? Math.round((c.answered / c.total) * 100) : 0}
                format={() => `${c.answered}/${c.total}`}
                status={c.status === 'done' ? 'success' : 'normal'}
                aria-label={c.name}
              />
            </li>
          ))}
        </ul>
      </Modal>
    </>
  );
}

/** The search box: matching questions of the level; choosing one jumps to it. */
function SearchBox({ diagnosisId, level, onPick }: { diagnosisId: string; level: number; onPick: (hit: SearchHit) => void }) {
  const { t } = useI18n();
  const [hits, setHits] = useState<SearchHit[]>([]);
  const [text, setText] = useState('');
  const [searched, setSearched] = useState(false);
  const seq = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const run = (q: string) => {
    window.clearTimeout(timer.current);
    if (!q.trim()) {
      setHits([]);
      setSearched(false);
      return;
    }
    timer.current = window.setTimeout(() => {
      const n = ++seq.current;
      api.search(diagnosisId, level, q.trim()).then(
        (r) => {
          if (n !== seq.current) return;
          setHits(r);
          setSearched(true);
        },
        () => undefined,
      );
    }, 250);
  };
  return (
    <div className="search-box">
      <label htmlFor="question-search" className="sr-only">
        {t('answer.search')}
      </label>
      <AutoComplete
        value={text}
        className="full-width"
        options={hits.map((h) => ({
          value: h.id,
          label: (
            <div className="search-hit">
              <div>
                <span className="mono">{h.number}</span> {h.text}
              </div>
              <div className="search-path">{h.path.join(' / ')}</div>
            </div>
          ),
        }))}
        notFoundContent={searched ? t('answer.searchEmpty') : undefined}
        onSearch={(q) => {
          setText(q);
          run(q);
        }}
        onSelect={(id: string) => {
          const hit = hits.find((h) => h.id === id);
          setText(hit ? `${hit.number} ${hit.text}` : '');
          if (hit) onPick(hit);
        }}
        popupMatchSelectWidth={false}
      >
        <Input id="question-search" prefix={<SearchOutlined aria-hidden="true" />} placeholder={t('answer.searchPlaceholder')} aria-label={t('answer.search')} allowClear />
      </AutoComplete>
    </div>
  );
}
