/// <reference lib="dom" />
import { createRoot } from 'react-dom/client';
import { Button } from 'antd';
import zhCN from 'antd/locale/zh_CN.js';
import Form from '@rjsf/antd';
import validator from '@rjsf/validator-ajv8';
console.log(zhCN, Form, validator);
createRoot(document.getElementById('root')!).render(<Button>hi</Button>);
