// The frame of the pages before login: a centred card with a title.
import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';

export function AuthCard({ title, children, wide }: { title: string; children: ReactNode; wide?: boolean }) {
  return (
    <div className="auth-page">
      <Card className={wide ? 'auth-card auth-card-wide' : 'auth-card'}>
        <Typography.Title level={1} className="auth-title">
          {title}
        </Typography.Title>
        {children}
      </Card>
    </div>
  );
}
