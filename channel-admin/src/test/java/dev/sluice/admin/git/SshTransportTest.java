package dev.sluice.admin.git;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.junit.jupiter.api.Test;

class SshTransportTest {

  @Test
  void sshRemotesUseJGitsDefaultApacheMinaTransport() {
    assertThat(SshSessionFactory.getInstance()).isInstanceOf(SshdSessionFactory.class);
  }
}
