import { useQuery } from '@tanstack/react-query';
import { emailQueueStateSchema } from '../../../../../contracts/email.ts';
import { apiRequest } from '../../../../staff/http.ts';

export function getEmailQueue(signal?: AbortSignal) {
  return apiRequest('/api/debug/email-queue', emailQueueStateSchema, { signal });
}

export function useEmailQueue() {
  return useQuery({ queryKey: ['debug', 'email-queue'], queryFn: ({ signal }) => getEmailQueue(signal), refetchInterval: 5000 });
}
