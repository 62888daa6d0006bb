// 下载 PDF: fetches the report's PDF and saves it under the server's file name. PDFs render in a
// bounded queue on the server; when it is full the server answers 503 with Retry-After, and this
// waits that long and tries again (a few times), telling the user, instead of saving an error.
import { useState } from 'react';
import { App, Button, type ButtonProps } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { ApiError, fetchFile } from '../../../ui/api/client.ts';
import { api } from '../api.ts';
import { currentLocale, useI18n } from '../i18n.tsx';

const TRIES = 4;

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function PdfDownload({ diagnosisId, ...button }: { diagnosisId: string } & Pick<ButtonProps, 'type' | 'size'>) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const url = api.reportPdfUrl(diagnosisId);
  const download = async () => {
    setBusy(true);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const file = await fetchFile(currentLocale, url.replace(/^\/api/, ''));
          save(file.blob, file.name ?? `${diagnosisId}.pdf`);
          return;
        } catch (e) {
          const wait = e instanceof ApiError && e.status === 503 && e.code === 'busy' ? (e.retryAfter ?? 5) : undefined;
          if (wait === undefined || attempt >= TRIES) {
            message.error((e as Error).message);
            return;
          }
          message.info(t('report.pdfBusy', { seconds: wait }));
          await new Promise((r) => setTimeout(r, wait * 1000));
        }
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      {...button}
      icon={<DownloadOutlined aria-hidden="true" />}
      href={url}
      loading={busy}
      onClick={(e) => {
        e.preventDefault();
        if (!busy) void download();
      }}
    >
      {t('home.downloadPdf')}
    </Button>
  );
}
