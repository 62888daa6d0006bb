// One ruleset open in the designer: toolbar (save state, undo/redo, files, publish), the sections
// on the left, the section in the middle, the lint panel on the right.
import { memo, useEffect, useMemo, useState } from 'react';
import { Alert, Badge, Layout, Menu, Result, Spin } from 'antd';
import type { Finding, LintContext, Ruleset } from '../../../engine/index.ts';
import { api } from '../api.ts';
import { useT, type Translate } from '../i18n.tsx';
import { EditorProvider, useEditor, type Meta, type Section } from '../editor/EditorContext.tsx';
import { Toolbar } from '../editor/Toolbar.tsx';
import { LintPanel } from '../editor/LintPanel.tsx';
import { useAutosave } from '../editor/autosave.ts';
import { whatIf } from '../editor/whatIf.ts';
import { OverviewSection } from '../sections/Overview.tsx';
import { ModelSection } from '../sections/Model.tsx';
import { LevelsSection } from '../sections/Levels.tsx';
import { ScoringSection } from '../sections/Scoring.tsx';
import { FlowSection } from '../sections/Flow.tsx';
import { RulesSection } from '../sections/Rules.tsx';
import { ReportSection } from '../sections/Report.tsx';
import { PreviewSection } from '../sections/Preview.tsx';
import { TestsSection } from '../sections/Tests.tsx';
import { VersionsSection } from '../sections/Versions.tsx';
import { JsonSection } from '../sections/Json.tsx';

interface Loaded {
  doc: Ruleset;
  base?: Ruleset;
  meta: Meta;
  /** The platform's report templates, so lint flags a template the server could not render. */
  lintContext: LintContext;
}

export function EditorPage({ id, version }: { id: string; version: string }) {
  const t = useT();
  const [loaded, setLoaded] = useState<Loaded | null>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    (async () => {
      const [record, templates] = await Promise.all([api.record(id, version), api.reportTemplates()]);
      let base: Ruleset | undefined;
      if (record.overlay) {
        const [baseId, baseVersion] = record.overlay.extends.split('@');
        base = await api.document(baseId, baseVersion);
      }
      whatIf.reset(record.document.industryTypes[0]?.id ?? '');
      setLoaded({ doc: record.document, base, meta: { status: record.status, overlay: record.overlay, revision: record.revision }, lintContext: { reportTemplates: templates.map((x) => ({ id: x.id, sections: x.sections ?? [] })) } });
    })().catch((e) => {
      setError((e as Error).message);
      setLoaded(null);
    });
  }, [id, version]);
  if (loaded === undefined) return <Spin style={{ margin: 48 }} />;
  if (!loaded) return <Result status="warning" title={t('editor.cannotOpen')} subTitle={error} />;
  return (
    <EditorProvider initial={loaded.doc} base={loaded.base} meta={loaded.meta} readOnly={false} lintContext={loaded.lintContext}>
      <EditorFrame />
    </EditorProvider>
  );
}

function EditorFrame() {
  const t = useT();
  const { target, goTo, findings, readOnly, base } = useEditor();
  const save = useAutosave();
  // The ruleset is open and linted (the first check runs before the first render): `npm run bench` reads this mark.
  useEffect(() => void performance.mark('ladder:designer-ready'), []);
  const items = useMemo(() => menuItems(findings, t, !!base), [findings, t, base]);
  return (
    <Layout className="editor">
      <Toolbar save={save} />
      {readOnly && <Alert type="info" showIcon banner message={t('editor.readOnly')} />}
      <Layout>
        <EditorNav items={items} section={target.section} goTo={goTo} />
        <Layout.Content className="editor-main">
          <SectionView section={target.section} />
        </Layout.Content>
        <Layout.Sider width={320} theme="light" className="editor-lint">
          <LintPanel />
        </Layout.Sider>
      </Layout>
    </Layout>
  );
}

/** Memoised: a keystroke in a field does not re-render the menu. */
const EditorNav = memo(function EditorNav({ items, section, goTo }: { items: ReturnType<typeof menuItems>; section: Section; goTo: (t: { section: Section }) => void }) {
  return (
    <Layout.Sider width={190} theme="light" className="editor-nav">
      <Menu mode="inline" selectedKeys={[section]} items={items} onClick={(e) => goTo({ section: e.key as Section })} />
    </Layout.Sider>
  );
});

/** The sections, each with the number of lint errors inside it. */
function menuItems(findings: Finding[], t: Translate, variant: boolean) {
  const count = (prefix: string[]) => findings.filter((f) => f.severity === 'error' && prefix.some((p) => f.pointer.startsWith(p))).length;
  const item = (key: Section, label: string, prefixes: string[] = []) => ({ key, label: <Badge count={count(prefixes)} size="small" offset={[10, 0]}>{label}</Badge> });
  return [
    item('overview', t('editor.menu.overview'), ['/title', '/description', '/id', '/version', '/industryTypes', '/model/layers', '/regions', '/standard']),
    item('model', t('editor.menu.model'), ['/model/nodes', '/questions']),
    item('levels', t('editor.menu.levels'), ['/levels']),
    item('scoring', t('editor.menu.scoring'), ['/scoring']),
    item('flow', t('editor.menu.flow'), ['/flow']),
    item('rules', t('editor.menu.rules'), ['/rules', '/counting']),
    item('report', t('editor.menu.report'), ['/report']),
    item('preview', t('editor.menu.preview')),
    item('tests', t('editor.menu.tests'), ['/tests']),
    item('versions', variant ? t('editor.menu.versionsVariant') : t('editor.menu.versions')),
    item('json', 'JSON'),
  ];
}

function SectionView({ section }: { section: Section }) {
  switch (section) {
    case 'overview':
      return <OverviewSection />;
    case 'model':
      return <ModelSection />;
    case 'levels':
      return <LevelsSection />;
    case 'scoring':
      return <ScoringSection />;
    case 'flow':
      return <FlowSection />;
    case 'rules':
      return <RulesSection />;
    case 'report':
      return <ReportSection />;
    case 'preview':
      return <PreviewSection />;
    case 'tests':
      return <TestsSection />;
    case 'versions':
      return <VersionsSection />;
    case 'json':
      return <JsonSection />;
  }
}
